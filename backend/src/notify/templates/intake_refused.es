=== subject ===
No pudimos procesar su correo
=== text ===
Hola,

No pudimos procesar su correo a {{ desk }}: {{ reason }}

Puede registrar su solicitud en {{ public_url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola,</p>
<p>No pudimos procesar su correo a {{ desk }}: {{ reason }}</p>
<p>Puede registrar su solicitud en <a href="{{ public_url }}">{{ public_url }}</a>.</p>
{% endblock %}