=== subject ===
Caso cerrado: {{ subject }}
=== text ===
Hola {{ recipient }},

El caso {{ number }} fue cerrado.{% if close_reason == "silence" %} No recibimos su respuesta a la encuesta en el plazo previsto, así que la solución se dio por aceptada.{% elif close_reason == "survey" %} Gracias por calificar el servicio.{% endif %}

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>El caso <strong>{{ number }}</strong> fue cerrado.{% if close_reason == "silence" %} No recibimos su respuesta a la encuesta en el plazo previsto, así que la solución se dio por aceptada.{% elif close_reason == "survey" %} Gracias por calificar el servicio.{% endif %}</p>
{% endblock %}
