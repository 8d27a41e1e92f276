/** A form's text fields as name → value (file inputs, which filter forms do not have, left out). */
export function formFields(form: HTMLFormElement): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new FormData(form).entries()) {
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}
