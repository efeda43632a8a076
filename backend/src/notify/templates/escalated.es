=== subject ===
Escalado a nivel {{ level }}: {{ subject }}
=== text ===
Hola {{ recipient }},

El caso {{ number }} pasó al nivel {{ level }} de atención: {{ group }}{% if agent %}, {{ agent }}{% endif %}.{% if reason %}
Motivo: {{ reason }}{% endif %}

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>El caso <strong>{{ number }}</strong> pasó al nivel {{ level }} de atención: {{ group }}{% if agent %}, {{ agent }}{% endif %}.</p>
{% if reason %}<p>Motivo: {{ reason }}</p>{% endif %}
{% endblock %}