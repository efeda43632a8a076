=== subject ===
Webhook desactivado: {{ webhook_url }}
=== text ===
Hola,

Mesa desactivó el webhook {{ webhook_url }} porque sus entregas fallaban una y otra vez: {{ reason }}

No se encolan eventos nuevos para él. Sus entregas pendientes esperan: cuando el receptor vuelva a funcionar, un administrador lo activa (POST {{ public_url }}/api/v1/webhooks/{{ webhook_id }}/enable) y se envían.
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola,</p>
<p>Mesa desactivó el webhook <code>{{ webhook_url }}</code> porque sus entregas fallaban una y otra vez: {{ reason }}</p>
<p>No se encolan eventos nuevos para él. Sus entregas pendientes esperan: cuando el receptor vuelva a funcionar, un administrador lo activa (<code>POST {{ public_url }}/api/v1/webhooks/{{ webhook_id }}/enable</code>) y se envían.</p>
{% endblock %}