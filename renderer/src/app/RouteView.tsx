/** Picks the screen for the current route. Each screen owns its own <h1>. */
import { useUi } from '../state/ui.js';
import { SyncScreen } from '../features/sync/SyncScreen.js';
import { TaskListScreen } from '../features/tasks/TaskListScreen.js';
import { TaskDetailScreen } from '../features/tasks/TaskDetailScreen.js';
import { InspectionScreen } from '../features/inspection/InspectionScreen.js';
import { OutboxScreen } from '../features/outbox/OutboxScreen.js';
import { SettingsScreen } from '../features/settings/SettingsScreen.js';
import { StorageScreen } from '../features/storage/StorageScreen.js';
import { UsbScreen } from '../features/usb/UsbScreen.js';
import { EnterpriseSearchScreen } from '../features/enterprises/EnterpriseSearchScreen.js';
import { EnterpriseScreen } from '../features/enterprises/EnterpriseScreen.js';

export function RouteView() {
  const route = useUi((s) => s.route);
  switch (route.name) {
    case 'sync':
      return <SyncScreen />;
    case 'task':
      return <TaskDetailScreen key={route.taskId} taskId={route.taskId} />;
    case 'inspect':
      return <InspectionScreen key={route.taskId} taskId={route.taskId} />;
    case 'enterprises':
      return <EnterpriseSearchScreen />;
    case 'enterprise':
      return <EnterpriseScreen key={route.uscc} uscc={route.uscc} />;
    case 'outbox':
      return <OutboxScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'storage':
      return <StorageScreen />;
    case 'usb':
      return <UsbScreen />;
    case 'login':
    case 'tasks':
      return <TaskListScreen />;
  }
}
