=== subject ===
Asignación del servicio: {{ subject }}
=== text ===
Hola {{ recipient }},

{% if role == "requester" %}Su caso {{ number }} fue asignado{% if agent %} a {{ agent }}{% endif %} ({{ group }}).{% else %}Se le asignó el caso {{ number }} de {{ requester }}: {{ subject }}.{% endif %}

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
{% if role == "requester" %}<p>Su caso <strong>{{ number }}</strong> fue asignado{% if agent %} a {{ agent }}{% endif %} ({{ group }}).</p>{% else %}<p>Se le asignó el caso <strong>{{ number }}</strong> de {{ requester }}: {{ subject }}.</p>{% endif %}
{% endblock %}