a
b
c
{% if x %}
unclosed
