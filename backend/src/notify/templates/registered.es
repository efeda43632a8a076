=== subject ===
Caso registrado: {{ subject }}
=== text ===
Hola {{ recipient }},

{% if role == "requester" %}Su solicitud quedó registrada con el número {{ number }}. Con este número puede hacerle seguimiento.{% else %}Se registró el caso {{ number }} de {{ requester }} para el grupo {{ group }}.{% endif %}

Asunto: {{ subject }}
Servicio: {{ service }}
Prioridad: {{ priority }}

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
{% if role == "requester" %}<p>Su solicitud quedó registrada con el número <strong>{{ number }}</strong>. Con este número puede hacerle seguimiento.</p>{% else %}<p>Se registró el caso <strong>{{ number }}</strong> de {{ requester }} para el grupo {{ group }}.</p>{% endif %}
<p>Asunto: {{ subject }}<br>Servicio: {{ service }}<br>Prioridad: {{ priority }}</p>
{% endblock %}