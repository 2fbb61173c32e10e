/**
 * Monaco, bundled and trimmed: the core editor, C highlighting and the few features the panes
 * use. Loaded lazily (dynamic import) so the table shows before the 3 MB editor arrives. The
 * editor worker is bundled by Vite; without getWorker the diff editor silently computes nothing.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/languages/definitions/cpp/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/diffEditor/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export { monaco };
