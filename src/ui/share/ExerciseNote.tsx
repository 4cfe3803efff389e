import { useLocks } from '../../state/lockStore';
import { fieldNames } from '../catalog';

/** Tells a student that the page is an exercise and what they may change. */
export function ExerciseNote() {
  const editable = useLocks((s) => s.editable);
  if (!editable) return null;
  const names = [...editable].map((k) => (k === 'graph' ? 'the graph' : fieldNames[k] ?? k));
  return (
    <p className="exercise-note" role="note" data-testid="exercise-note">
      <strong>Exercise.</strong> {names.length > 0 ? `You can change: ${names.join(', ')}.` : 'The settings are fixed: press Train and watch.'}
    </p>
  );
}
