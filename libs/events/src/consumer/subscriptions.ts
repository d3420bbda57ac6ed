import { Topic } from '../topics';

const subscribed = new Set<Topic>();

/** Called by `@OnEvent` when a handler class is defined. */
export const recordSubscription = (topic: Topic): void => {
  subscribed.add(topic);
};

/** Topics this app handles with `@OnEvent` (known once its handler classes are loaded). */
export const subscribedTopics = (): Topic[] => [...subscribed].sort();
