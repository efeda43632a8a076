=== subject ===
Solución del servicio: {{ subject }}
=== text ===
Hola {{ recipient }},

Su caso {{ number }} fue resuelto. Solución:

{{ solution }}
{% if survey_url %}
Califique el servicio: {{ survey_url }}
{% endif %}
Si la solución no resuelve su solicitud, puede reabrir el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>Su caso <strong>{{ number }}</strong> fue resuelto. Solución:</p>
<blockquote style="white-space: pre-wrap; border-left: 3px solid #ccc; margin: 0; padding-left: 12px;">{{ solution }}</blockquote>
{% if survey_url %}<p><a href="{{ survey_url }}">Califique el servicio</a></p>{% endif %}
<p>Si la solución no resuelve su solicitud, puede reabrir el caso.</p>
{% endblock %}