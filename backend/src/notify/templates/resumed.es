=== subject ===
Caso reanudado: {{ subject }}
=== text ===
Hola {{ recipient }},

Su caso {{ number }} volvió a atención.

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>Su caso <strong>{{ number }}</strong> volvió a atención.</p>
{% endblock %}