=== subject ===
Caso trasladado a {{ desk }}: {{ subject }}
=== text ===
Hola {{ recipient }},

El caso {{ number }} fue trasladado a la mesa {{ desk }}{% if group %} ({{ group }}){% endif %}.{% if reason %}
Motivo: {{ reason }}{% endif %}

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>El caso <strong>{{ number }}</strong> fue trasladado a la mesa {{ desk }}{% if group %} ({{ group }}){% endif %}.</p>
{% if reason %}<p>Motivo: {{ reason }}</p>{% endif %}
{% endblock %}