import { describe, expect, it } from 'vitest';
import { servicesVersions } from './machine.js';

describe('servicesVersions', () => {
  it('reads the MariaDB and Kafka versions from the services status lines', () => {
    const status = [
      '[mariadb] running on 127.0.0.1:3306 (MariaDB 10.11.19-MariaDB-0+deb12u1, user weft can use weft_test)',
      '[kafka] running on 127.0.0.1:19092 (pid 5147, Kafka 3.9.2 jars)',
    ].join('\n');
    expect(servicesVersions(status)).toEqual({
      mariadb: '10.11.19-MariaDB-0+deb12u1',
      kafka: '3.9.2',
    });
  });

  it('gives null for a service that is not running', () => {
    expect(servicesVersions('[kafka] not running')).toEqual({ mariadb: null, kafka: null });
  });
});
