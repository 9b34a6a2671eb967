import type { ConsumedMessage } from './kafka-client.js';

/**
 * One partition of the in-process log: messages at consecutive offsets from
 * `start` to `end` (exclusive). Retention drops messages from the start, as
 * Kafka deletes old segments, so `start` moves up and offsets never change.
 *
 * @example const log = new PartitionLog(); log.append((offset) => message(offset)); log.read(0, 500)
 */
export class PartitionLog {
  private messages: ConsumedMessage[] = [];
  /** Index in `messages` of the message at `start`: dropped ones are compacted away in bulk. */
  private head = 0;
  private first = 0;

  /** The earliest offset still held (Kafka's log start offset). */
  get start(): number {
    return this.first;
  }

  /** The offset the next message gets (Kafka's end offset, the high watermark here). */
  get end(): number {
    return this.first + this.messages.length - this.head;
  }

  /** Appends the message built for the next offset. */
  append(build: (offset: number) => ConsumedMessage): void {
    this.messages.push(build(this.end));
  }

  /** Up to `max` messages from `offset` on (which must be within [start, end]). */
  read(offset: number, max: number): ConsumedMessage[] {
    const from = this.head + (offset - this.first);
    return this.messages.slice(from, from + max);
  }

  /** The first offset whose timestamp is at or after `timestamp`, else the end offset. */
  offsetAt(timestamp: number): number {
    for (let index = this.head; index < this.messages.length; index += 1) {
      if ((this.messages[index] as ConsumedMessage).timestamp >= timestamp) {
        return this.first + index - this.head;
      }
    }
    return this.end;
  }

  /**
   * Drops messages from the start while they are older than `timestamp`
   * (the first newer one stops it, as a segment with a newer record stays).
   */
  dropBefore(timestamp: number): void {
    while (
      this.head < this.messages.length &&
      (this.messages[this.head] as ConsumedMessage).timestamp < timestamp
    ) {
      this.head += 1;
      this.first += 1;
    }
    if (this.head > 1_024 && this.head * 2 > this.messages.length) {
      this.messages = this.messages.slice(this.head);
      this.head = 0;
    }
  }
}
