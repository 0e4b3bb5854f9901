-- TPC-DS Q95 (Appendix B.95): orders, shipping cost and net profit of web orders shipped in a 60-day
-- period to a given state from the 'pri' web sites, shipped from several warehouses and returned.
-- @param YEAR 1999 ~ uniform(1999, 2002)
-- @param MONTH 2 ~ uniform(2, 5)
-- @param STATE 'IL' ~ choice(vocab('states'))
-- @param START_DATE '1999-02-01' ~ f'{YEAR}-0{MONTH}-01'
with multi_warehouse_orders as (
    select ws_order_number as order_number
    from web_sales
    group by ws_order_number
    having count(distinct ws_warehouse_sk) > 1
)
select
    count(distinct ws_order_number) as order_count,
    sum(ws_ext_ship_cost) as total_shipping_cost,
    sum(ws_net_profit) as total_net_profit
from web_sales, date_dim, customer_address, web_site
where d_date between date '${START_DATE}' and date '${START_DATE}' + interval '60' day
  and ws_ship_date_sk = d_date_sk
  and ws_ship_addr_sk = ca_address_sk
  and ca_state = '${STATE}'
  and ws_web_site_sk = web_site_sk
  and web_company_name = 'pri'
  and ws_order_number in (select order_number from multi_warehouse_orders)
  and ws_order_number in (select wr_order_number from web_returns)
order by count(distinct ws_order_number)
limit 100
