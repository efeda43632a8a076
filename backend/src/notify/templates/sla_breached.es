=== subject ===
ANS incumplido: {{ subject }}
=== text ===
Hola {{ recipient }},

El {{ clock }} del caso {{ number }} ({{ group }}{% if agent %}, {{ agent }}{% endif %}) se incumplió.

Ver el caso: {{ url }}
=== html ===
{% extends "layout.html" %}{% block body %}
<p>Hola {{ recipient }},</p>
<p>El {{ clock }} del caso <strong>{{ number }}</strong> ({{ group }}{% if agent %}, {{ agent }}{% endif %}) se incumplió.</p>
{% endblock %}