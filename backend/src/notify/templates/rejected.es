=== subject ===
Solicitud rechazada: {{ subject }}
=== text ===
Hola {{ recipient }},

Su solicitud {{ number }} no corresponde a esta mesa de servicios.
Motivo: {{ reason }}{% if redirected_to %}
Diríjase a: {{ redirected_to }}{% endif %}

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>Su solicitud <strong>{{ number }}</strong> no corresponde a esta mesa de servicios.</p>
<p>Motivo: {{ reason }}</p>
{% if redirected_to %}<p>Diríjase a: {{ redirected_to }}</p>{% endif %}
{% endblock %}