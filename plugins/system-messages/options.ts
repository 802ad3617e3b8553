import type { JSONSchemaType } from 'ajv';

/**
 * Templates replace `{user}` with the name. Arrival, departure and welcome are off by default:
 * walo sends none of them and real clients rely on `status` events instead (D11, §8.4).
 */
export interface Options {
  /** Tell everyone else when a name arrives (its first session). */
  announceArrivals: boolean;
  arrivalText: string;
  /** Tell everyone left when a name departs (its last session closed). */
  announceDepartures: boolean;
  departureText: string;
  /** Send a logged-in user a line right after the login reply. */
  welcome: boolean;
  welcomeText: string;
  /** Tell everyone when the server shuts down. */
  shutdownNotice: boolean;
  shutdownText: string;
}

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    announceArrivals: { type: 'boolean', default: false },
    arrivalText: { type: 'string', minLength: 1, default: '{user} a rejoint le chat.' },
    announceDepartures: { type: 'boolean', default: false },
    departureText: { type: 'string', minLength: 1, default: '{user} a quitté le chat.' },
    welcome: { type: 'boolean', default: false },
    welcomeText: { type: 'string', minLength: 1, default: 'Bienvenue sur ClassCord, {user} !' },
    shutdownNotice: { type: 'boolean', default: true },
    shutdownText: { type: 'string', minLength: 1, default: "Le serveur s'arrête. À bientôt !" },
  },
  required: [],
};
