// Compact reference of the Lua 5.2 standard library the sandbox opens (not the ns API): names, parameters, one-line docs.

export interface StdFunction {
  /** Parameter names; a trailing `?` marks an optional one. */
  params: readonly string[];
  doc: string;
  /** A constant (math.pi), not a function. */
  value?: boolean;
}

type Library = Readonly<Record<string, StdFunction>>;
const f = (params: string, doc: string): StdFunction => ({ params: params ? params.split(',') : [], doc });
const constant = (doc: string): StdFunction => ({ params: [], doc, value: true });

export const STD_LIBRARIES: Readonly<Record<string, Library>> = {
  string: {
    byte: f('s,i?,j?', 'Numeric codes of characters s[i..j] (default i = 1, j = i).'),
    char: f('...', 'String made of the characters with the given numeric codes.'),
    dump: f('func', 'Binary chunk of a function. Not available in a protocol extension.'),
    find: f('s,pattern,init?,plain?', 'Start and end of the first match of pattern in s, plus captures; nil if none.'),
    format: f('formatstring,...', 'Formatted string, printf style (%d %s %q %x %5.2f ...).'),
    gmatch: f('s,pattern', 'Iterator over the matches of pattern in s.'),
    gsub: f('s,pattern,repl,n?', 'Copy of s with matches replaced (repl: string, table or function), and the number of matches.'),
    len: f('s', 'Length of s in bytes.'),
    lower: f('s', 'Copy of s in lower case.'),
    match: f('s,pattern,init?', 'Captures of the first match of pattern in s (or the whole match); nil if none.'),
    rep: f('s,n,sep?', 's repeated n times, separated by sep.'),
    reverse: f('s', 's reversed.'),
    sub: f('s,i,j?', 'Substring s[i..j]; negative positions count from the end (j defaults to -1).'),
    upper: f('s', 'Copy of s in upper case.'),
  },
  table: {
    concat: f('list,sep?,i?,j?', 'list[i]..sep..list[i+1]..sep..list[j] (strings or numbers).'),
    insert: f('list,pos?,value', 'Inserts value at pos (default: the end), shifting up.'),
    maxn: f('table', 'Largest positive numeric index (deprecated in 5.2, present with compatibility).'),
    pack: f('...', 'New table with the arguments at keys 1..n and field n.'),
    remove: f('list,pos?', 'Removes and returns list[pos] (default: the last element), shifting down.'),
    sort: f('list,comp?', 'Sorts list in place (comp(a, b) true when a comes first).'),
    unpack: f('list,i?,j?', 'Returns list[i], ..., list[j] (the global unpack is the same in 5.2).'),
  },
  math: {
    abs: f('x', 'Absolute value.'), acos: f('x', 'Arc cosine (radians).'), asin: f('x', 'Arc sine (radians).'),
    atan: f('x', 'Arc tangent (radians).'), atan2: f('y,x', 'Arc tangent of y/x using both signs.'),
    ceil: f('x', 'Smallest integral value >= x.'), cos: f('x', 'Cosine (radians).'), cosh: f('x', 'Hyperbolic cosine.'),
    deg: f('x', 'Radians to degrees.'), exp: f('x', 'e^x.'), floor: f('x', 'Largest integral value <= x (use math.floor(a / b) for integer division).'),
    fmod: f('x,y', 'Remainder of x / y rounding the quotient toward zero.'), frexp: f('x', 'm and e with x = m * 2^e.'),
    huge: constant('HUGE_VAL, larger than any other number.'), ldexp: f('m,e', 'm * 2^e.'),
    log: f('x,base?', 'Logarithm (natural by default).'), log10: f('x', 'Base-10 logarithm (deprecated in 5.2).'),
    max: f('x,...', 'Largest argument.'), min: f('x,...', 'Smallest argument.'), modf: f('x', 'Integral and fractional parts.'),
    pi: constant('The value of pi.'), pow: f('x,y', 'x^y.'), rad: f('x', 'Degrees to radians.'),
    random: f('m?,n?', 'Pseudo-random number: [0,1), [1,m] or [m,n].'), randomseed: f('x', 'Seeds math.random.'),
    sin: f('x', 'Sine (radians).'), sinh: f('x', 'Hyperbolic sine.'), sqrt: f('x', 'Square root.'),
    tan: f('x', 'Tangent (radians).'), tanh: f('x', 'Hyperbolic tangent.'),
  },
  bit32: {
    arshift: f('x,disp', 'x shifted right arithmetically by disp bits (left when negative).'),
    band: f('...', 'Bitwise AND of the operands (32-bit unsigned).'),
    bnot: f('x', 'Bitwise NOT of x.'),
    bor: f('...', 'Bitwise OR of the operands.'),
    btest: f('...', 'True when the AND of the operands is not zero.'),
    bxor: f('...', 'Bitwise exclusive OR of the operands.'),
    extract: f('n,field,width?', 'Unsigned number from bits field..field+width-1 of n (width default 1).'),
    lrotate: f('x,disp', 'x rotated left by disp bits.'),
    lshift: f('x,disp', 'x shifted left by disp bits (vacated bits are 0).'),
    replace: f('n,v,field,width?', 'n with bits field..field+width-1 replaced by v.'),
    rrotate: f('x,disp', 'x rotated right by disp bits.'),
    rshift: f('x,disp', 'x shifted right logically by disp bits: bit32.rshift(byte, 4) is the MQTT packet type.'),
  },
  coroutine: {
    create: f('f', 'New coroutine with body f.'), resume: f('co,...', 'Starts or continues co.'),
    running: f('', 'The running coroutine and whether it is the main one.'), status: f('co', '"running", "suspended", "normal" or "dead".'),
    wrap: f('f', 'Function that resumes a new coroutine each call.'), yield: f('...', 'Suspends the running coroutine.'),
  },
};

/** Base functions of Lua 5.2 that the sandbox keeps (FORBIDDEN_GLOBALS lists what it removes). */
export const STD_GLOBALS: Library = {
  assert: f('v,message?', 'Raises an error when v is false or nil; returns its arguments otherwise.'),
  error: f('message,level?', 'Raises an error. In a callback it resets the connection.'),
  getmetatable: f('object', 'The metatable of object.'), setmetatable: f('table,metatable', 'Sets the metatable of table.'),
  ipairs: f('t', 'Iterator over t[1], t[2], ... until the first nil.'), pairs: f('t', 'Iterator over all key/value pairs of t.'),
  next: f('table,index?', 'Next key/value pair after index.'), pcall: f('f,...', 'Calls f in protected mode: status, results or error.'),
  xpcall: f('f,msgh,...', 'pcall with a message handler.'),
  rawequal: f('v1,v2', 'Equality without metamethods.'), rawget: f('table,index', 'table[index] without metamethods.'),
  rawlen: f('v', 'Length without metamethods.'), rawset: f('table,index,value', 'table[index] = value without metamethods.'),
  select: f('index,...', 'Arguments after index, or their count with "#".'),
  tonumber: f('e,base?', 'e converted to a number, or nil.'), tostring: f('v', 'v converted to a string.'),
  type: f('v', 'Type name of v: "nil", "number", "string", "boolean", "table", "function", "thread", "userdata".'),
  unpack: f('list,i?,j?', 'Returns list[i], ..., list[j] (Lua 5.2 global; also table.unpack).'),
  _G: constant('The global environment table.'), _VERSION: constant('"Lua 5.2".'),
};

export function stdSignature(qualified: string, fn: StdFunction): string {
  return fn.value ? qualified : `${qualified}(${fn.params.join(', ')})`;
}

/** `string.byte` -> its entry; `print` etc. are not here (forbidden). */
export function stdLookup(library: string | undefined, name: string): StdFunction | undefined {
  if (library === undefined) return STD_GLOBALS[name];
  return STD_LIBRARIES[library]?.[name];
}
