=== subject ===
Cómo solicitar un servicio a {{ desk }}
=== text ===
Hola,

Para solicitar un servicio a {{ desk }} ingrese a {{ public_url }} con su usuario institucional y elija el servicio en el catálogo.{% if reason %}
{{ reason }}{% endif %}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola,</p>
<p>Para solicitar un servicio a {{ desk }} ingrese a <a href="{{ public_url }}">{{ public_url }}</a> con su usuario institucional y elija el servicio en el catálogo.</p>
{% if reason %}<p>{{ reason }}</p>{% endif %}
{% endblock %}