// memo: what a watch run made, kept for the next, each made again only when what it was made from changed.

/**
 * Values by key, each with the inputs it was made from. Inputs compare by identity: watch mode keeps a spec's parse
 * while its bytes stay the same, so an unchanged spec is the same object, and an edit to one spec makes again only
 * what that spec feeds (its sets' models, their modules).
 */
export class Memo<T> {
  private readonly kept = new Map<string, { readonly inputs: readonly unknown[]; readonly value: T }>();

  get(key: string, inputs: readonly unknown[], make: () => T): T {
    const hit = this.kept.get(key);
    if (hit && hit.inputs.length === inputs.length && hit.inputs.every((input, i) => input === inputs[i]))
      return hit.value;
    const value = make();
    this.kept.set(key, { inputs, value });
    return value;
  }
}
