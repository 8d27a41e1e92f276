import type { ComponentChildren } from 'preact';
import { followLink } from '../router.js';

export function Link(props: {
  readonly href: string;
  readonly children: ComponentChildren;
  readonly class?: string;
  readonly title?: string;
}) {
  return (
    <a
      href={props.href}
      class={props.class}
      title={props.title}
      onClick={(event) => followLink(event, props.href)}
    >
      {props.children}
    </a>
  );
}
