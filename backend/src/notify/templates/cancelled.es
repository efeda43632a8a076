=== subject ===
Caso cancelado: {{ subject }}
=== text ===
Hola {{ recipient }},

El caso {{ number }} fue cancelado.

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>El caso <strong>{{ number }}</strong> fue cancelado.</p>
{% endblock %}