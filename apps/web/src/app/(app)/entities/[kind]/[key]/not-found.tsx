import { EntityAddress } from '@/features/entities/components/entity-address';

export default function EntityNotFound() {
  return (
    <div className="notice" data-testid="entity-not-found">
      <h1>No such entity</h1>
      <EntityAddress />
      <p>
        Either the template is not stored or declares no such entity kind, or none of its sessions
        names this key and nothing is linked to it. Very recent sessions appear once the correlator
        has seen them.
      </p>
    </div>
  );
}
