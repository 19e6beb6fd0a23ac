// mutable: a result under construction. classifyBounce and classifyLogLine build their facts field by field and
// complete the classification classify returns in place (a log has many lines; each spread is an allocation).

/** `T` with its readonly fields writable, while it is built. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
