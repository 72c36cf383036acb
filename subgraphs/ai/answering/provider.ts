import { isConfigured, ZervigoClient, type ZervigoConfig } from '../../../platform/zervigo-client.ts';
import type { Answerer } from './answer.ts';
import { ChatAnswerer } from './chat.ts';
import { ZervigoAnswerer } from './zervigo.ts';

/**
 * Who answers askAboutTalent (AI_ANSWER_PROVIDER): the built-in extractive answerer, the chat
 * model at AI_BASE_URL, or Zervigo's AI service. A provider that cannot work as configured is a
 * start-up error naming what to set, rather than every question quietly answered offline.
 */

export const ANSWER_PROVIDERS = ['extractive', 'chat', 'zervigo'] as const;
export type AnswerProvider = (typeof ANSWER_PROVIDERS)[number];

/** AI_ANSWER_PROVIDER as set, or by default `chat` when AI_BASE_URL is set and `extractive` otherwise. */
export function answerProviderFrom(value: string | undefined, baseUrl: string | undefined): AnswerProvider {
  const provider = value?.trim().toLowerCase();
  if (!provider) return baseUrl ? 'chat' : 'extractive';
  if (!(ANSWER_PROVIDERS as readonly string[]).includes(provider)) {
    throw new Error(`AI_ANSWER_PROVIDER must be one of ${ANSWER_PROVIDERS.join(', ')}, not ${JSON.stringify(value)}`);
  }
  if (provider === 'chat' && !baseUrl) throw new Error('AI_ANSWER_PROVIDER=chat needs AI_BASE_URL, the OpenAI-compatible endpoint whose chat model answers');
  return provider as AnswerProvider;
}

export interface AnswererOptions {
  /** The built-in answerer: the provider `extractive`, and every provider's fallback. */
  offline: Answerer;
  /** The chat model's endpoint; set whenever AI_BASE_URL is. */
  chat?: ConstructorParameters<typeof ChatAnswerer>[0];
  /** Where Zervigo is (ZERVIGO_*), read only when it is the provider. */
  zervigo: () => ZervigoConfig;
}

export function createAnswerer(provider: AnswerProvider, options: AnswererOptions): Answerer {
  switch (provider) {
    case 'extractive':
      return options.offline;
    case 'chat':
      if (!options.chat) throw new Error('AI_ANSWER_PROVIDER=chat needs AI_BASE_URL, the OpenAI-compatible endpoint whose chat model answers');
      return new ChatAnswerer(options.chat);
    case 'zervigo': {
      const zervigo = options.zervigo();
      if (!isConfigured(zervigo, 'ai')) {
        throw new Error("AI_ANSWER_PROVIDER=zervigo needs Zervigo's ai service: set ZERVIGO_BASE_URL (every Zervigo service on one host) or ZERVIGO_AI_URL");
      }
      return new ZervigoAnswerer(new ZervigoClient(zervigo));
    }
  }
}
