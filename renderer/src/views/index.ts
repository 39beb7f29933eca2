/** The built-in views, in tab order. */
import PacketsView from '../components/packets/PacketsView.vue';
import ConversationsView from '../components/conversations/ConversationsView.vue';
import FollowStreamView from '../components/follow/FollowStreamView.vue';
import SequenceView from '../components/sequence/SequenceView.vue';
import StatisticsView from '../components/stats/StatisticsView.vue';
import { registerView } from './registry';

export function registerBuiltinViews(): void {
  registerView({ id: 'packets', titleKey: 'views.packets', component: PacketsView, shortcut: 'Alt+1' });
  registerView({ id: 'conversations', titleKey: 'views.conversations', component: ConversationsView, shortcut: 'Alt+2', needsCapture: true });
  registerView({ id: 'follow', titleKey: 'views.follow', component: FollowStreamView, shortcut: 'Alt+3', needsCapture: true });
  registerView({ id: 'sequence', titleKey: 'views.sequence', component: SequenceView, shortcut: 'Alt+4', needsCapture: true });
  registerView({ id: 'statistics', titleKey: 'views.statistics', component: StatisticsView, shortcut: 'Alt+5', needsCapture: true });
}
