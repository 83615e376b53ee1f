import { badRequest, forbidden } from '../../http/errors';
import { FixedClock } from '../../x';
import type { LoginFlow } from './flow';
import { FlowValidationError } from './flow-errors';
import { applyFlowError, flattenBody, unflattenBody } from './flow-helpers';
import { csrfNode, inputNode } from './ui/ui-node';
import { messages } from './ui/ui-text';

const clock = new FixedClock();
const flow: LoginFlow = {
  id: 'f',
  kind: 'login',
  type: 'api',
  issuedAt: clock.now(),
  expiresAt: clock.now(),
  createdAt: clock.now(),
  updatedAt: clock.now(),
  requestUrl: 'http://x/self-service/login/api',
  csrfToken: '',
  internalContext: {},
  refresh: false,
  requestedAal: 'aal1',
  ui: {
    action: 'http://x/self-service/login?flow=f',
    method: 'POST',
    nodes: [csrfNode(''), inputNode('default', 'identifier', 'text', { value: '' }), inputNode('password', 'password', 'password'), inputNode('password', 'method', 'submit', { value: 'password' })],
    messages: [messages.loginReAuth()],
  },
};

describe('applyFlowError', () => {
  it('replaces old messages, echoes non-secret values and never the password', () => {
    const out = applyFlowError(flow, new FlowValidationError([messages.invalidCredentials()], { identifier: [messages.validationRequired('identifier')] }), { identifier: 'bob', password: 'secret', method: 'evil' }, clock);
    expect(out.ui.messages.map((m) => m.id)).toEqual([4000006]);
    const attrs = out.ui.nodes.map((n) => n.attributes as { name: string; value?: unknown });
    expect(attrs.find((a) => a.name === 'identifier')?.value).toBe('bob');
    expect(attrs.filter((a) => a.name === 'password').map((a) => a.value)).toEqual([undefined]);
    expect(attrs.find((a) => a.name === 'method')?.value).toBe('password');
    expect(out.ui.nodes.find((n) => (n.attributes as { name: string }).name === 'identifier')?.messages.map((m) => m.id)).toEqual([4000002]);
  });

  it('turns a 400 error into message 4000001 with its reason, and rethrows other errors', () => {
    const out = applyFlowError(flow, badRequest('Nope.'), {}, clock);
    expect(out.ui.messages).toEqual([expect.objectContaining({ id: 4000001, text: 'Nope.' })]);
    expect(() => applyFlowError(flow, forbidden('x'), {}, clock)).toThrow();
    expect(() => applyFlowError(flow, new Error('boom'), {}, clock)).toThrow('boom');
  });

  it('moves messages for fields without a node to the flow', () => {
    const out = applyFlowError(flow, new FlowValidationError([], { 'traits.x': [messages.validationRequired('x')] }), {}, clock);
    expect(out.ui.messages.map((m) => m.id)).toEqual([4000002]);
  });
});

describe('form bodies', () => {
  it('unflattens dotted keys and ignores prototype keys', () => {
    expect(unflattenBody({ 'traits.email': 'a@b.co', 'traits.name.first': 'A', method: 'password', '__proto__.polluted': 'x' })).toEqual({
      traits: { email: 'a@b.co', name: { first: 'A' } },
      method: 'password',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(flattenBody({ traits: { email: 'a', name: { first: 'b' } } })).toEqual({ 'traits.email': 'a', 'traits.name.first': 'b' });
  });
});
