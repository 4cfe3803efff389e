import { modelKinds } from '../models/spec';
import { chooseDataset, chooseModel } from '../state/client';
import { modelFitsTask } from '../state/choices';
import type { TrainConfig } from '../train/protocol';
import { datasetGroups, datasetInfo, modelInfo } from './catalog';
import { Lockable } from './Lockable';
import { SelectField } from './SelectField';

/** Data set and model: each pick loads that model's published settings and starts over. */
export function Pickers({ config }: { readonly config: TrainConfig }) {
  // "Your graph" is always there (with nothing drawn yet it opens an empty drawing); a set of
  // graphs only once the user has loaded one.
  const own = (id: string) => id !== 'custom-graphs' || config.dataset === id;
  const datasets = datasetGroups.map((g) => ({ label: g.label, options: g.sets.filter((d) => own(d.id)).map((d) => ({ value: d.id, label: d.label })) }));
  const models = modelKinds.map((m) => {
    const fits = modelFitsTask(m, config.dataset);
    return { value: m, label: fits ? modelInfo[m].name : `${modelInfo[m].name} (node tasks only)`, disabled: !fits };
  });
  const model = modelInfo[config.model];
  return (
    <>
      <Lockable k="dataset">
      <SelectField wide label="Data set" value={config.dataset} options={datasets} onChange={chooseDataset}
        testId="dataset-select" hint={datasetInfo(config.dataset).about} />
      </Lockable>
      <Lockable k="model">
      <SelectField wide label="Model" value={config.model} options={models} onChange={chooseModel}
        testId="model-select"
        hint={<span data-testid="model-description">{model.about} <cite>{model.paper}</cite></span>} />
      </Lockable>
    </>
  );
}
