=== subject ===
Orden de servicio: {{ subject }}
=== text ===
Hola {{ recipient }},

Su caso {{ number }} fue clasificado: {{ type }}, prioridad {{ priority }}, servicio {{ service }}.{% if reason %}
Motivo: {{ reason }}{% endif %}

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>Su caso <strong>{{ number }}</strong> fue clasificado: {{ type }}, prioridad {{ priority }}, servicio {{ service }}.</p>
{% if reason %}<p>Motivo: {{ reason }}</p>{% endif %}
{% endblock %}