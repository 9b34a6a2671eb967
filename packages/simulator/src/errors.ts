/** Base class of every error thrown by @weft/simulator; catch this to handle them all. */
export class SimulatorError extends Error {
  override name: string = 'SimulatorError';
}

/** An option given to the simulator is out of range or unknown. */
export class InvalidOptionError extends SimulatorError {
  override name = 'InvalidOptionError' as const;
}

/** A `--faults` specification names an unknown fault or an impossible rate. */
export class InvalidFaultSpecError extends SimulatorError {
  override name = 'InvalidFaultSpecError' as const;
}

/** A truth or sessions line could not be read; the message carries the line number. */
export class InvalidInputError extends SimulatorError {
  override name = 'InvalidInputError' as const;
}
