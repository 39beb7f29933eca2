/**
 * Which view fills the main area (packets, conversations, follow stream, sequence diagram,
 * statistics — and views added later, such as teaching mode's "Present"), and the data each
 * analysis view shows. Results are bulk data (shallowRef) tied to the capture they came from.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { CaptureStats, Conversation, Endpoint, FollowResult, SequenceDiagram } from '../api';
import { engine } from '../engine';
import { errorText } from './session';

export type ConversationKind = 'tcp' | 'udp' | 'ip';

export interface FollowTarget {
  protocol: 'tcp' | 'udp';
  stream: number;
}

/** What a sequence diagram shows: some streams, or the packets a display filter selects. */
export type SequenceTarget =
  | { streams: number[]; protocol: 'tcp' | 'udp' }
  | { filter: string };

/** One loadable result with its error. */
function useLoadable<T>() {
  const data = shallowRef<T | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let token = 0;
  async function load(job: () => Promise<T>): Promise<T | null> {
    const t = ++token;
    loading.value = true;
    error.value = null;
    try {
      const v = await job();
      if (t !== token) return null;
      data.value = v;
      return v;
    } catch (err) {
      if (t !== token) return null;
      data.value = null;
      error.value = errorText(err);
      return null;
    } finally {
      if (t === token) loading.value = false;
    }
  }
  function reset(): void {
    token++;
    data.value = null;
    loading.value = false;
    error.value = null;
  }
  return { data, loading, error, load, reset };
}

export const useViewsStore = defineStore('views', () => {
  const active = ref<string>('packets');

  const followTarget = ref<FollowTarget | null>(null);
  const follow = useLoadable<FollowResult>();
  const sequenceTarget = ref<SequenceTarget | null>(null);
  const sequence = useLoadable<SequenceDiagram>();
  const conversationKind = ref<ConversationKind>('tcp');
  const conversations = useLoadable<Conversation[]>();
  const endpoints = useLoadable<Endpoint[]>();
  const stats = useLoadable<CaptureStats>();

  function show(id: string): void {
    active.value = id;
  }

  async function openFollow(target: FollowTarget): Promise<void> {
    followTarget.value = target;
    active.value = 'follow';
    await follow.load(() => engine().followStream(target));
  }

  async function openSequence(target: SequenceTarget): Promise<void> {
    sequenceTarget.value = target;
    active.value = 'sequence';
    await sequence.load(() =>
      engine().getSequence('filter' in target ? { filter: target.filter } : { streams: target.streams, protocol: target.protocol }),
    );
  }

  async function loadConversations(kind: ConversationKind = conversationKind.value): Promise<void> {
    conversationKind.value = kind;
    await conversations.load(() => engine().getConversations({ kind }));
  }

  async function loadEndpoints(kind: ConversationKind = conversationKind.value): Promise<void> {
    await endpoints.load(() => engine().getEndpoints({ kind }));
  }

  async function loadStats(): Promise<void> {
    await stats.load(() => engine().getStats({ transactionLimit: 5000 }));
  }

  /** A new capture: every analysis result belongs to the old one. */
  function resetForCapture(): void {
    follow.reset();
    sequence.reset();
    conversations.reset();
    endpoints.reset();
    stats.reset();
    followTarget.value = null;
    sequenceTarget.value = null;
  }

  return {
    active, followTarget, follow, sequenceTarget, sequence, conversationKind, conversations, endpoints, stats,
    show, openFollow, openSequence, loadConversations, loadEndpoints, loadStats, resetForCapture,
  };
});
