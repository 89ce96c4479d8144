package expr

// unaryMath returns the one-argument function op_func() knows by name.
func unaryMath(name string) func(float80) float80 {
	switch name {
	case "COS":
		return cosl
	case "SIN":
		return sinl
	case "TAN":
		return tanl
	case "ACOS":
		return acosl
	case "ASIN":
		return asinl
	case "ATAN":
		return atanl
	case "SQRT":
		return sqrtl
	case "FLOOR":
		return floorl
	case "CEIL":
		return ceill
	case "ROUND":
		return roundl
	case "RINT":
		return rintl
	case "TRUNC":
		return truncl
	case "EXP":
		return expl
	case "EXP2":
		return exp2l
	case "EXP10":
		return exp10l
	case "LOG":
		return logl
	case "LOG2":
		return log2l
	case "LOG10":
		return log10l
	case "ABS":
		return cAbs
	}
	return nil
}

// binaryMath returns the two-argument function op_func() knows by name.
func binaryMath(name string) func(float80, float80) float80 {
	switch name {
	case "ATAN2":
		return atan2l
	case "POW":
		return powl
	case "REMAINDER":
		return remainderl
	}
	return nil
}

// callFunction evaluates NAME(args) as op_func() does with no channel.
// A name made of anything but A-Z, 0-9 and '_' is "not possibly a
// function name"; a well-formed name that is not a math function would
// be a dialplan function, which needs a channel: both give 0, as does a
// wrong number of arguments.
func callFunction(name string, args []*value) *value {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return intValue(0)
		}
	}
	if f := unaryMath(name); f != nil {
		if len(args) != 1 {
			return intValue(0)
		}
		return numberValue(f(args[0].argNumber()))
	}
	if f := binaryMath(name); f != nil {
		if len(args) != 2 {
			return intValue(0)
		}
		x := args[0].argNumber()
		y := args[1].argNumber()
		return numberValue(f(x, y))
	}
	return intValue(0)
}

// cAbs is the ABS() of op_func: x < 0 ? x * -1 : x, so -0 and NaN are
// returned unchanged.
func cAbs(x float80) float80 {
	if lt80(x, float80{}) {
		return mul80(x, fromInt80(-1))
	}
	return x
}
