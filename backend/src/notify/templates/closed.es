=== subject ===
Caso cerrado: {{ subject }}
=== text ===
Hola {{ recipient }},

El caso {{ number }} fue cerrado.

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>El caso <strong>{{ number }}</strong> fue cerrado.</p>
{% endblock %}