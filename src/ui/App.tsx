import { AccuracyChart } from './AccuracyChart';
import { BackendBadge } from './BackendBadge';
import { Banners } from './Banners';
import { Controls } from './Controls';
import { Footer } from './Footer';
import { ExportPanel } from './export/ExportPanel';
import { GradNormChart } from './GradNormChart';
import { NodeInspector } from './inspector/NodeInspector';
import { LossChart } from './LossChart';
import { SharePanel } from './share/SharePanel';
import { Stats } from './Stats';
import { useKeyboard } from './useKeyboard';
import { ViewPanel } from './ViewPanel';
import { ViewTabs } from './ViewTabs';

export function App() {
  useKeyboard();
  return (
    <div className="app">
      <header className="header">
        <h1>GNN Playground</h1>
        <BackendBadge />
        <SharePanel />
      </header>
      <Banners />
      <main className="main">
        <aside className="side"><Controls /></aside>
        <div className="centre">
          <Stats />
          <ViewTabs />
          <ViewPanel />
        </div>
        <section className="charts" aria-label="Training curves">
          <NodeInspector />
          <LossChart />
          <AccuracyChart />
          <GradNormChart />
          <ExportPanel />
        </section>
      </main>
      <Footer />
    </div>
  );
}
