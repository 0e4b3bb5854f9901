-- TPC-DS Q24 (Appendix B.24): per customer and store of one market, the total of a sales amount of
-- returned items of one colour (a: the first colour, b: the second), for customers living in the
-- store's zip code but born outside their country of residence, where the total exceeds 5% of the
-- average per customer, store and item profile.
-- @param MARKET 8 ~ uniform(5, 10)
-- @param AMOUNTONE 'ss_net_paid' ~ choice(['ss_net_paid', 'ss_net_paid_inc_tax', 'ss_net_profit', 'ss_sales_price', 'ss_ext_sales_price'])
-- @param COLOR1 'peach' ~ choice(vocab('colors'))
-- @param COLOR2 'saddle' ~ choice(vocab('colors'))
with returned_sales as (
    select
        c_last_name,
        c_first_name,
        s_store_name,
        ca_state,
        s_state,
        i_color,
        i_current_price,
        i_manager_id,
        i_units,
        i_size,
        sum(${AMOUNTONE}) as netpaid
    from store_sales, store_returns, store, item, customer, customer_address
    where sr_ticket_number = ss_ticket_number
      and sr_item_sk = ss_item_sk
      and c_customer_sk = ss_customer_sk
      and i_item_sk = ss_item_sk
      and s_store_sk = ss_store_sk
      and ca_address_sk = c_current_addr_sk
      and c_birth_country <> upper(ca_country)
      and ca_zip = s_zip
      and s_market_id = ${MARKET}
    group by
        c_last_name,
        c_first_name,
        s_store_name,
        ca_state,
        s_state,
        i_color,
        i_current_price,
        i_manager_id,
        i_units,
        i_size
)
select c_last_name, c_first_name, s_store_name, sum(netpaid) as paid
from returned_sales
where i_color = '${COLOR1}'
group by c_last_name, c_first_name, s_store_name
having sum(netpaid) > (select 0.05 * avg(netpaid) from returned_sales)
order by c_last_name, c_first_name, s_store_name
;
with returned_sales as (
    select
        c_last_name,
        c_first_name,
        s_store_name,
        ca_state,
        s_state,
        i_color,
        i_current_price,
        i_manager_id,
        i_units,
        i_size,
        sum(${AMOUNTONE}) as netpaid
    from store_sales, store_returns, store, item, customer, customer_address
    where sr_ticket_number = ss_ticket_number
      and sr_item_sk = ss_item_sk
      and c_customer_sk = ss_customer_sk
      and i_item_sk = ss_item_sk
      and s_store_sk = ss_store_sk
      and ca_address_sk = c_current_addr_sk
      and c_birth_country <> upper(ca_country)
      and ca_zip = s_zip
      and s_market_id = ${MARKET}
    group by
        c_last_name,
        c_first_name,
        s_store_name,
        ca_state,
        s_state,
        i_color,
        i_current_price,
        i_manager_id,
        i_units,
        i_size
)
select c_last_name, c_first_name, s_store_name, sum(netpaid) as paid
from returned_sales
where i_color = '${COLOR2}'
group by c_last_name, c_first_name, s_store_name
having sum(netpaid) > (select 0.05 * avg(netpaid) from returned_sales)
order by c_last_name, c_first_name, s_store_name
