export {
  DEFAULT_REQUEST_TIMEOUT_MS,
  type BusHeaders,
  type BusMessage,
  type BusSubscription,
  type HandlerOptions,
  type MessageBus,
  type NotificationHandler,
  type RequestHandler,
  type RequestOptions,
} from './port/message-bus.port.js';
export {
  BusError,
  BusUnavailableError,
  NoResponderError,
  RemoteHandlerError,
  RequestTimeoutError,
} from './port/bus.errors.js';
export { EnvelopeHeader, envelopeHeaders, envelopeOf } from './port/envelope-headers.js';
export { RawJson } from './port/json-body.js';
export {
  InProcessMessageBus,
  type InProcessMessageBusOptions,
} from './adapters/in-process/in-process-message-bus.js';
export { NatsMessageBus, type NatsMessageBusOptions } from './adapters/nats/nats-message-bus.js';
export { BusClient, type SendOptions } from './nest/bus-client.js';
export {
  HandleRequest,
  OnNotification,
  PassThroughRpcFilter,
  type BusHandlerExtras,
} from './nest/bus-handler.decorators.js';
export { BusTransport, type BusTransportOptions } from './nest/bus.transport.js';
