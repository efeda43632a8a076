=== subject ===
Caso archivado por desistimiento: {{ subject }}
=== text ===
Hola {{ recipient }},

El caso {{ number }} fue archivado porque no recibimos la información que le solicitamos en el plazo indicado. Si aún lo necesita, registre una nueva solicitud.

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>El caso <strong>{{ number }}</strong> fue archivado porque no recibimos la información que le solicitamos en el plazo indicado. Si aún lo necesita, registre una nueva solicitud.</p>
{% endblock %}
