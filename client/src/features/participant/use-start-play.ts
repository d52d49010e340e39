import { useEffect } from 'react';
import { useAppStore } from '../../store/index.ts';

/** The play and self-rating pages start (or resume) the actor's episode once the connection is up. */
export function useStartPlay(): void {
  const connected = useAppStore((s) => s.connection === 'connected');
  const idle = useAppStore((s) => s.playPhase === 'idle');
  const startPlay = useAppStore((s) => s.startPlay);
  useEffect(() => {
    if (connected && idle) void startPlay();
  }, [connected, idle, startPlay]);
}
