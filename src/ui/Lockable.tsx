import type { ReactNode } from 'react';
import type { Editable } from '../state/link/codec';
import { useCanEdit } from '../state/lockStore';

/** Shows its control unless a teacher's exercise locked it (TensorFlow Playground hides them too). */
export function Lockable({ k, children }: { readonly k: Editable; readonly children: ReactNode }) {
  return useCanEdit(k) ? <>{children}</> : null;
}
