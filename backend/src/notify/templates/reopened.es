=== subject ===
Caso reabierto{% if reopen_reason == "survey" %} por encuesta{% endif %}: {{ subject }}
=== text ===
Hola {{ recipient }},

{% if reopen_reason == "survey" %}{{ requester }} calificó como insatisfactoria la solución del caso {{ number }}: el caso volvió a atención (Abierto por encuesta).{% else %}{{ requester }} no aceptó la solución del caso {{ number }}: el caso volvió a atención.{% endif %}{% if reason %}
Motivo: {{ reason }}{% endif %}

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>{% if reopen_reason == "survey" %}{{ requester }} calificó como insatisfactoria la solución del caso <strong>{{ number }}</strong>: el caso volvió a atención (Abierto por encuesta).{% else %}{{ requester }} no aceptó la solución del caso <strong>{{ number }}</strong>: el caso volvió a atención.{% endif %}</p>
{% if reason %}<p>Motivo: {{ reason }}</p>{% endif %}
{% endblock %}
