hex {{ '%x' % 255 }} {{ '%X' % 255 }} {{ '%02x' % 7 }} {{ '%#06x' % 255 }} {{ "%x"|format(4096) }}
mac {{ '%02x:%02x' % (0, 255) }} {{ '%s-%02d' % ('line', 3) }} {{ '%d%%' % 50 }} {{ '%(a)s/%(b)s' % {'a': 1, 'b': 2} }}
num {{ '%5.2f|%-6d|%+d|%e|%g' % (3.14159, 42, 7, 12345.678, 0.0001) }}
fmt {{ "{0:0>4}".format(7) }} {{ "{0:0>4}".format(line_no) }} {{ '{:>6}|{:<6}|{:^6}'.format('a', 'b', 'c') }} {{ '{:,}'.format(1234567) }} {{ '{:.2f}'.format(2.675) }}
fmt2 {{ '{0}-{1}-{0}'.format('a', 'b') }} {{ '{name}@{host}'.format(name='u', host='h') }} {{ '{:08.3f}'.format(-3.14159) }} {{ '{!r}'.format('x') }} {{ '{:x}'.format(255) }}
zfill {{ '7'.zfill(3) }} {{ line_no.zfill(4) }} {{ '-5'.zfill(4) }} {{ 'abc'.zfill(2) }}
str {{ 'Hello'.upper() }} {{ 'Hello'.lower() }} {{ 'a,b,c'.split(',') }} {{ 'a b'.split() }} {{ 'x.y.z'.split('.', 1) }} {{ 'hello'.replace('l', 'L') }} {{ 'hello'.startswith('he') }} {{ 'hello'.endswith(('x', 'lo')) }} {{ '  pad  '.strip() }}
filters {{ 'abc'|upper }} {{ 'ABC'|lower }} {{ '  t  '|trim }} {{ 'a-b'|replace('-', '_') }} {{ 42|string ~ '!' }} {{ '12'|int + 1 }} {{ 'x'|int }} {{ '3.9'|int }} {{ 3.9|int }} {{ '0x1f'|int(base=16) }}
escape {{ name|e }} {{ name|escape }} {{ name }} {{ none|e }}
default {{ missing|d('dflt') }} {{ ''|d('empty') }} {{ ''|d('empty', true) }} {{ none|d('n') }} {{ none|d('n', true) }} {{ 0|default('zero', boolean=true) }}
length {{ name|length }} {{ [1, 2]|length }} {{ {'a': 1}|count }} {{ missing|length }}
first {{ [3, 2]|first }} {{ 'xyz'|first }} {{ []|first }}
join {{ [1, 'two', none]|join('/') }} {{ range(4)|join }}
pow {{ 2 ** 10 }} {{ 2 ** 0.5 }} {{ 10 ** -2 }} {{ 2 ** 100 }}
div {{ 7 / 2 }} {{ 8 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7.5 // 2 }} {{ 1 + 2.0 }} {{ 'ab' * 3 }} {{ [0] * 3 }}
cmp {{ 1 < 2 <= 2 }} {{ 'a' < 'b' }} {{ 1 == 1.0 }} {{ 'x' in 'xyz' }} {{ 2 not in [1, 3] }} {{ 'k' in {'k': 1} }} {{ not true or false and true }}
concat {{ 1 ~ 2 ~ none ~ true ~ missing }} {{ [1] + [2] }} {{ 'a' + 'b' }}
