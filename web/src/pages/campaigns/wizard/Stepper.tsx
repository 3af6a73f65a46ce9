/** The wizard's steps as an ordered list of buttons: the current one is `aria-current="step"`; later ones open once the earlier are complete. */
export function Stepper({
  titles,
  current,
  reachable,
  onGo,
}: {
  titles: string[];
  current: number;
  reachable: (index: number) => boolean;
  onGo: (index: number) => void;
}) {
  return (
    <nav aria-label="Wizard steps">
      <ol className="wizard-stepper">
        {titles.map((title, i) => (
          <li key={title}>
            <button type="button" aria-current={i === current ? 'step' : undefined} disabled={!reachable(i)} onClick={() => onGo(i)}>
              {title}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
