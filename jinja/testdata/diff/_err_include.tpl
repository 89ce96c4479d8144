included line 1
{{ 1 // zero }}
