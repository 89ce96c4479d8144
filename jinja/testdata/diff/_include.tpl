<include seen="{{ title|d('none') }}" base_var="{{ base_var|d('no') }}" loop="{{ n|d('-') }}"/>
