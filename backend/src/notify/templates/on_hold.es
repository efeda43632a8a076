=== subject ===
Caso en espera: {{ subject }}
=== text ===
Hola {{ recipient }},

Su caso {{ number }} quedó en espera: {{ hold_reason }}.{% if note %}
{{ note }}{% endif %}{% if desist_at %}
Si no recibimos respuesta antes del {{ desist_at }}, el caso se archivará como desistido.{% endif %}

Responda este correo o escriba en el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>Su caso <strong>{{ number }}</strong> quedó en espera: {{ hold_reason }}.</p>
{% if note %}<p style="white-space: pre-wrap;">{{ note }}</p>{% endif %}
{% if desist_at %}<p>Si no recibimos respuesta antes del {{ desist_at }}, el caso se archivará como desistido.</p>{% endif %}
{% endblock %}