/** Admin message list: Kratos's path and its legacy alias without `/admin`. */
export const ROUTE_COURIER_MESSAGES = ['/admin/courier/messages', '/courier/messages'];
