=== subject ===
¿Cómo le fue con la solución? {{ subject }}
=== text ===
Hola {{ recipient }},

El caso {{ number }} fue resuelto y aún no recibimos su calificación. Si no responde, la solución se dará por aceptada y el caso se cerrará.
{% if survey_url %}
Califique el servicio: {{ survey_url }}
{% endif %}
Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>El caso <strong>{{ number }}</strong> fue resuelto y aún no recibimos su calificación. Si no responde, la solución se dará por aceptada y el caso se cerrará.</p>
{% if survey_url %}<p><a href="{{ survey_url }}">Califique el servicio</a></p>{% endif %}
{% endblock %}
