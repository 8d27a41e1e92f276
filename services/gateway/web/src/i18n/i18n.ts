import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Language } from '../api/types.js';
import { en, type Dictionary, type MessageKey } from './en.js';
import { fr } from './fr.js';

export type { MessageKey };
export type Translate = (
  key: MessageKey,
  params?: Readonly<Record<string, string | number>>,
) => string;

const dictionaries: Readonly<Record<Language, Dictionary>> = { en, fr };

export function translator(language: Language): Translate {
  const dictionary = dictionaries[language];
  return (key, params) => {
    const text = dictionary[key];
    return params
      ? text.replace(/\{(\w+)\}/g, (all, name: string) => String(params[name] ?? all))
      : text;
  };
}

export interface I18n {
  readonly language: Language;
  readonly t: Translate;
}

export const I18nContext = createContext<I18n>({ language: 'en', t: translator('en') });

export const useI18n = (): I18n => useContext(I18nContext);
