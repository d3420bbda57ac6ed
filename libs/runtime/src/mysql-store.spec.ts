import { DataSource } from 'typeorm';
import { MySqlConnection } from './mysql-store';

const fakeDataSource = (failures: number) => {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    initialize: jest.fn(() => {
      calls += 1;
      return calls <= failures
        ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3306'))
        : Promise.resolve();
    }),
    destroy: jest.fn(() => Promise.resolve()),
  };
};

describe('MySqlConnection', () => {
  it('keeps trying until the database answers, then is ready', async () => {
    const dataSource = fakeDataSource(2);
    const connection = new MySqlConnection(dataSource as unknown as DataSource);
    let ready = false;
    void connection.ready.then(() => (ready = true));

    connection.onApplicationBootstrap();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ready).toBe(false);
    await connection.ready;
    expect(dataSource.calls).toBe(3);
  });

  it('stops trying when the app shuts down', async () => {
    const dataSource = fakeDataSource(Infinity);
    const connection = new MySqlConnection(dataSource as unknown as DataSource);
    connection.onApplicationBootstrap();
    await new Promise((resolve) => setTimeout(resolve, 50));
    connection.onApplicationShutdown();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(dataSource.calls).toBe(1);
  });
});
