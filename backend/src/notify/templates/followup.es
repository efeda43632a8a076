=== subject ===
Nuevo seguimiento: {{ subject }}
=== text ===
Hola {{ recipient }},

{{ actor }} escribió en el caso {{ number }}:

{{ followup }}

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>{{ actor }} escribió en el caso <strong>{{ number }}</strong>:</p>
<blockquote style="white-space: pre-wrap; border-left: 3px solid #ccc; margin: 0; padding-left: 12px;">{{ followup }}</blockquote>
{% endblock %}