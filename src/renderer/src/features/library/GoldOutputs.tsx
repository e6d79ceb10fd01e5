interface GoldOutputsProps {
  outputs: string[];
}

export function GoldOutputs({ outputs }: GoldOutputsProps) {
  const many = outputs.length > 1;
  return (
    <section className="field gold">
      <h3 className="field-label">{many ? `Gold outputs (${outputs.length})` : 'Gold output'}</h3>
      {many ? (
        <ol className="gold-list" data-testid="item-output">
          {outputs.map((o, i) => (
            <li key={i} className="text">
              {o}
            </li>
          ))}
        </ol>
      ) : (
        <div className="text" data-testid="item-output">
          {outputs[0] ?? ''}
        </div>
      )}
    </section>
  );
}
