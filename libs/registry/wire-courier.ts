import { CourierTemplates, DefaultCourier } from '../courier';
import { SessionWiring } from './wire-session';

/**
 * Courier, realm side: the realm's templates and the courier that queues its messages. The transport
 * (channels) and the dispatcher are the platform's: one per process.
 */
export abstract class CourierWiring extends SessionWiring {
  /** Compiled once; `init()` touches it so a missing or bad template override stops boot. */
  get courierTemplates(): CourierTemplates {
    return this.once('courierTemplates', () => CourierTemplates.load(this.config.courier));
  }

  get courier(): DefaultCourier {
    return this.once('courier', () => new DefaultCourier(this.deps));
  }
}
