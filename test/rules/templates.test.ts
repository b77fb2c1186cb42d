import { describe, expect, it } from 'vitest';
import {
  checkTemplate,
  conversationTemplates,
  fillTemplate,
  matchesTemplate,
  mergeFields,
  searchTemplates,
  templateValues,
} from '../../src/rules/templates.js';
import type { Template } from '../../src/types.js';
import { expectDeskError } from '../support/errors.js';

const tpl = (overrides: Partial<Template>): Template => ({
  id: 't',
  name: 'Template',
  type: 'conversation',
  channel: 'sms',
  registered: false,
  body: 'Hello',
  ...overrides,
});

const TEMPLATES: Template[] = [
  tpl({
    id: 'sms-conv',
    name: 'Appointment reminder',
    body: 'Hi {{contact.firstName}}, see you tomorrow.',
  }),
  tpl({ id: 'sms-camp', name: 'Spring sale', type: 'campaign', body: 'Sale!' }),
  tpl({
    id: 'wa-conv',
    name: 'Café opening',
    channel: 'whatsapp',
    registered: true,
    body: 'Our café opens at 9.',
  }),
  tpl({ id: 'wa-camp', name: 'Newsletter', channel: 'whatsapp', type: 'campaign', body: 'News' }),
  tpl({ id: 'sms-conv-2', name: 'Thanks', body: 'Merci beaucoup, À BIENTÔT' }),
];

const contact = {
  firstName: 'Ana',
  lastName: 'Pérez',
  phone: '+34600000001',
  email: 'ana@example.com',
};

describe('conversationTemplates', () => {
  it('SN2: offers only conversation templates of the channel, in their order', () => {
    expect(conversationTemplates(TEMPLATES, 'sms').map((t) => t.id)).toEqual([
      'sms-conv',
      'sms-conv-2',
    ]);
    expect(conversationTemplates(TEMPLATES, 'whatsapp').map((t) => t.id)).toEqual(['wa-conv']);
    expect(conversationTemplates([], 'sms')).toEqual([]);
  });
});

describe('searchTemplates', () => {
  it('SN2: finds templates by name or by body text, ignoring case', () => {
    expect(searchTemplates(TEMPLATES, 'REMINDER').map((t) => t.id)).toEqual(['sms-conv']);
    expect(searchTemplates(TEMPLATES, 'see you').map((t) => t.id)).toEqual(['sms-conv']);
  });

  it('SN2: search ignores accents on either side', () => {
    expect(searchTemplates(TEMPLATES, 'cafe').map((t) => t.id)).toEqual(['wa-conv']);
    expect(searchTemplates(TEMPLATES, 'CAFÉ OPENS').map((t) => t.id)).toEqual(['wa-conv']);
    expect(searchTemplates(TEMPLATES, 'a bientot').map((t) => t.id)).toEqual(['sms-conv-2']);
  });

  it('SN2: an empty or blank query returns every template, as a new array', () => {
    const all = searchTemplates(TEMPLATES, '');
    expect(all).toEqual(TEMPLATES);
    expect(all).not.toBe(TEMPLATES);
    expect(searchTemplates(TEMPLATES, '   ')).toHaveLength(TEMPLATES.length);
  });

  it('SN2: a query that matches nothing returns an empty list', () => {
    expect(searchTemplates(TEMPLATES, 'zzz')).toEqual([]);
  });

  it('SN2: a query that is not text is refused with invalid_input', () => {
    expectDeskError(() => searchTemplates(TEMPLATES, null as unknown as string), 'invalid_input');
  });
});

describe('mergeFields', () => {
  it('SN2: lists distinct merge fields in order, tolerating spaces inside the braces', () => {
    expect(
      mergeFields(
        'Hi {{contact.firstName}} {{ contact.lastName }}, {{contact.firstName}} {{  contact.email}}',
      ),
    ).toEqual(['contact.firstName', 'contact.lastName', 'contact.email']);
  });

  it('SN2: text without a well-formed field has no merge field', () => {
    expect(mergeFields('Hello')).toEqual([]);
    expect(mergeFields('{contact.firstName} {{}} {{ }} {{contact name}} {{1abc}}')).toEqual([]);
  });

  it('SN2: a body that is not text is refused with invalid_input', () => {
    expectDeskError(() => mergeFields(undefined as unknown as string), 'invalid_input');
  });
});

describe('fillTemplate', () => {
  it('SN2: fills every supported field from the contact', () => {
    const body =
      '{{contact.firstName}}|{{contact.lastName}}|{{contact.name}}|{{contact.phone}}|{{ contact.email }}';
    expect(fillTemplate(body, { contact })).toEqual({
      text: 'Ana|Pérez|Ana Pérez|+34600000001|ana@example.com',
      missing: [],
    });
  });

  it('SN2: contact.name is first and last name, trimmed when one is empty', () => {
    const c = { ...contact, lastName: '' };
    expect(fillTemplate('[{{contact.name}}]', { contact: c }).text).toBe('[Ana]');
    expect(
      fillTemplate('[{{contact.name}}]', { contact: { ...contact, firstName: '' } }).text,
    ).toBe('[Pérez]');
  });

  it('SN2: contact.phone falls back to the conversation number when there is no contact', () => {
    expect(fillTemplate('{{contact.phone}}', { contact: null, phone: '+14155550123' })).toEqual({
      text: '+14155550123',
      missing: [],
    });
    expect(fillTemplate('{{contact.phone}}', { phone: '+14155550123' }).text).toBe('+14155550123');
  });

  it('SN2: a field without a value is reported as missing and left as written', () => {
    const result = fillTemplate('Hi {{ contact.firstName }}, mail {{contact.email}}', {
      contact: { firstName: 'Bo', lastName: '', phone: '+1', email: undefined },
    });
    expect(result).toEqual({ text: 'Hi Bo, mail {{contact.email}}', missing: ['contact.email'] });
  });

  it('SN2: with no contact, every name field is missing, each reported once', () => {
    const result = fillTemplate('{{contact.firstName}} {{contact.name}} {{contact.firstName}}', {});
    expect(result.missing).toEqual(['contact.firstName', 'contact.name']);
    expect(result.text).toBe('{{contact.firstName}} {{contact.name}} {{contact.firstName}}');
  });

  it('SN2: a blank value counts as missing', () => {
    const result = fillTemplate('Hi {{contact.firstName}}', {
      contact: { ...contact, firstName: '   ' },
    });
    expect(result).toEqual({ text: 'Hi {{contact.firstName}}', missing: ['contact.firstName'] });
  });

  it('SN2: an unknown field is reported as missing and left as written', () => {
    expect(fillTemplate('Order {{order.id}} for {{contact.firstName}}', { contact })).toEqual({
      text: 'Order {{order.id}} for Ana',
      missing: ['order.id'],
    });
  });

  it('SN2: a value that looks like a merge field is inserted literally, never expanded', () => {
    const sneaky = { ...contact, firstName: '{{contact.email}}' };
    expect(fillTemplate('Hi {{contact.firstName}}', { contact: sneaky })).toEqual({
      text: 'Hi {{contact.email}}',
      missing: [],
    });
  });

  it('SN2: a value with $ patterns is inserted as is', () => {
    expect(
      fillTemplate('Hi {{contact.firstName}}', { contact: { ...contact, firstName: "$& $' $1" } })
        .text,
    ).toBe("Hi $& $' $1");
  });

  it('SN2: a body that is not text is refused with invalid_input', () => {
    expectDeskError(() => fillTemplate(42 as unknown as string, {}), 'invalid_input');
  });
});

describe('checkTemplate', () => {
  it('SN2: a conversation template of the channel passes', () => {
    expect(() => checkTemplate(TEMPLATES[0]!, 'sms')).not.toThrow();
    expect(() => checkTemplate(TEMPLATES[2]!, 'whatsapp')).not.toThrow();
  });

  it('SN2: a template of another channel is refused with template_channel_mismatch', () => {
    const error = expectDeskError(
      () => checkTemplate(TEMPLATES[0]!, 'whatsapp'),
      'template_channel_mismatch',
    );
    expect(error.details).toMatchObject({
      templateId: 'sms-conv',
      templateChannel: 'sms',
      channel: 'whatsapp',
    });
    expect(error.message).toMatch(/SMS.*WhatsApp/);
  });

  it('SN2: a campaign template is refused with template_not_conversation', () => {
    expectDeskError(() => checkTemplate(TEMPLATES[1]!, 'sms'), 'template_not_conversation');
  });

  it('SN2: a campaign template of the wrong channel reports the channel first', () => {
    expectDeskError(() => checkTemplate(TEMPLATES[3]!, 'sms'), 'template_channel_mismatch');
  });
});

describe('matchesTemplate', () => {
  const body = 'Hi {{contact.firstName}}, your order {{order.id}} is ready.';

  it('SN3: a filled template matches its body; a body without fields must be equal', () => {
    expect(matchesTemplate(body, 'Hi Ana, your order 42 is ready.')).toBe(true);
    expect(matchesTemplate(body, fillTemplate(body, { contact }).text)).toBe(true);
    expect(matchesTemplate('Hello there', '  Hello there \n')).toBe(true);
    expect(matchesTemplate('Hello there', 'Hello there!')).toBe(false);
  });

  it('SN3: an edited template does not match', () => {
    expect(matchesTemplate(body, 'Hi Ana, your order 42 is late.')).toBe(false);
    expect(matchesTemplate(body, 'Hey Ana, your order 42 is ready.')).toBe(false);
    expect(matchesTemplate(body, 'Hi Ana, your order 42 is ready. Also buy more!')).toBe(false);
    expect(matchesTemplate('{{a}} and {{b}}', 'and')).toBe(false); // prefix and suffix overlap
    expect(matchesTemplate(body, '')).toBe(false);
  });

  it('SN3: line-ending style does not count as an edit', () => {
    expect(matchesTemplate('Line one\r\nLine {{x}}', 'Line one\nLine two')).toBe(true);
  });

  it('SN3: a long hostile text is rejected quickly (no regex backtracking)', () => {
    const manyFields = Array.from({ length: 30 }, (_, i) => `{{f${i}}}x`).join('') + 'y';
    const start = performance.now();
    expect(matchesTemplate(manyFields, 'x'.repeat(4000))).toBe(false);
    // Backtracking would take hours here; the bound is loose so a loaded machine passes.
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe('SN2 carrier template values', () => {
  it('SN2: one value per distinct merge field, in order of first appearance', () => {
    const contact = { firstName: 'Eli', lastName: 'Ortega', phone: '+14155550101' };
    expect(
      templateValues('{{contact.lastName}}: {{contact.firstName}}, {{contact.lastName}}', {
        contact,
      }),
    ).toEqual(['Ortega', 'Eli']);
    expect(templateValues('No fields here', { contact })).toEqual([]);
    expect(templateValues('Hi {{contact.email}}', { contact })).toEqual(['{{contact.email}}']);
  });
});
